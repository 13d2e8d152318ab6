"""The standard documents of the one-stop mechanism (Circular 03/2025 Appendix I numbering):
01 receipt and appointment … 07 dossier register, rendered to PDF from editable templates."""
