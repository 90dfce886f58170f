"""The web app: pages, security, sign-in and the browser, on the demo data."""
