"""Every text a user reads, by what it is about; pantau.i18n joins them."""
