# part: images (tests)
# The image policy: header parsing (no decoder needed) and a generated corpus of
# messy files through the decoder, ImageFolder and the batch loader.
fts_fixture(imagecorpus make_image_corpus.py)
fts_test(tst_imagepolicy LINK fts_engine_data)
fts_test(tst_imagecorpus FIXTURES imagecorpus LINK fts_engine_data)
