"""Text handling: normalisation, sentence segmentation and the map back to the source."""
