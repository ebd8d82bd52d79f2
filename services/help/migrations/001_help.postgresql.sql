-- The help centre's pages, indexed for search with PostgreSQL's French
-- text search (the pages themselves are Markdown files carried in the
-- program, help/fr/*.md).
CREATE TABLE help_page (
    id {{ID}},
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    section TEXT NOT NULL,
    body_text TEXT NOT NULL,
    content_digest TEXT NOT NULL,
    search tsvector NOT NULL
);
CREATE INDEX help_page_search ON help_page USING GIN (search);
