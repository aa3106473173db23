"""Pages load nothing from other hosts: no CDN links in templates or bundles."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "bridgework"
EXTERNAL_ASSET = re.compile(
    r"""(?:src|href)\s*=\s*["'](?:https?:)?//(?!localhost|127\.0\.0\.1)""", re.I
)


def test_templates_reference_no_external_assets():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if EXTERNAL_ASSET.search(line):
                offenders.append(f"{template.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_base_template_loads_the_bundled_assets():
    base = (SRC / "templates" / "base.html").read_text()
    assert "bridgework/dist/app.js" in base
    assert "bridgework/dist/style.css" in base


def test_bundle_was_built_from_npm_packages():
    """`make test` builds the bundle; it must contain htmx from node_modules."""
    bundle = SRC / "static" / "bridgework" / "dist" / "app.js"
    assert bundle.exists(), "run `npm ci && npm run build` (make does this)"
    assert "htmx" in bundle.read_text()
