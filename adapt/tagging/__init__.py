"""Tagging: language, ISCED-F subject, keywords, reading and educational level, resource type.

`tagger.Tagger` tags a document; `run.tag_resource` stores the tags as suggestions; `adapt.metadata`
turns the accepted ones into LRMI JSON-LD. Nothing heavy is imported here.
"""
