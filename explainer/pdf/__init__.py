"""HTML -> PDF/UA with WeasyPrint, and reading the written PDF back."""
