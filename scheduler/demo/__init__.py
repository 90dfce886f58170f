"""`scopekeeper demo`: sample boards on local sandboxes, one scan, review, posting and reports."""
