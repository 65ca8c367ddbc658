"""Regie on a resident: one regisseur, asked warmly, who hears of every signal about the resident."""
