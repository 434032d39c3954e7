"""The report centre: scheduled and on-demand management reports as PDF and XLSX."""
