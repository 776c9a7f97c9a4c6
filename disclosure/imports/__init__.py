"""Structured content from the spreadsheets communities already keep: a quarter's finance lines and a
relief roster, read from an uploaded xlsx or cells pasted from Excel/WPS, every problem shown per row
before anything is saved (the editor saves through ``disclosure_create``/``disclosure_update``)."""
