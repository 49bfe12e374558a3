"""Administrative procedures (thủ tục hành chính), dossiers (hồ sơ) and officer ratings."""
