"""The relation extractor's construction frames and the sentence reader they share."""
