"""The start page and the public info screens."""
