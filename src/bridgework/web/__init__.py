"""What every Django app shares and no single app owns: links, guards, page helpers.

This package sits below the apps: any app may import it, it imports no app.
"""
