"""What a person actually sees, in the HTML and in the laid-out PDF."""
