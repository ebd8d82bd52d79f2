-- The help centre's pages, indexed for search (the pages themselves are
-- Markdown files carried in the program, help/fr/*.md).
CREATE TABLE help_page (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    body_text TEXT NOT NULL,
    content_digest TEXT NOT NULL
);
CREATE VIRTUAL TABLE help_search USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');
