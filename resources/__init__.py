"""What it looks like: icons, the style sheet and translations, bundled with the app."""
