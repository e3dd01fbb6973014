"""One way to write a date on every page: "4 January 2027" (``{{ value|date }}``), and with the
time "4 January 2027, 14:30" (``{{ value|date:"DATETIME_FORMAT" }}``). The PDFs write dates the
same way. Every other format (what date fields accept, for one) stays Django's for en-GB."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
