"""Suite-wide setup (see ``bridgework.testsupport`` for component checks)."""
