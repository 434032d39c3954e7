"""The double-entry books: chart of accounts, automatic postings, periods and statements."""
