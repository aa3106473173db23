"""Privacy rules that do not depend on the web app: disclosure control for group results."""
