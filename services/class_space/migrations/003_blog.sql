-- The blog of a space: articles (rich text sanitized on the server, draft or
-- published), their categories, images and comments.
CREATE TABLE class_space_category (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX class_space_category_name ON class_space_category (space_id, name);
CREATE TABLE class_space_article (
    id {{ID}},
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    category_id BIGINT REFERENCES class_space_category (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    published BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    published_at BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL DEFAULT 0
);
-- The blog's page: a space's published articles, newest first.
CREATE INDEX class_space_article_list ON class_space_article (space_id, published, published_at, id);
CREATE INDEX class_space_article_author ON class_space_article (author_id);
CREATE TABLE class_space_article_image (
    id {{ID}},
    article_id BIGINT REFERENCES class_space_article (id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL REFERENCES class_space (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX class_space_article_image_article ON class_space_article_image (article_id);
CREATE TABLE class_space_comment (
    id {{ID}},
    article_id BIGINT NOT NULL REFERENCES class_space_article (id) ON DELETE CASCADE,
    author_id BIGINT REFERENCES identity_user (id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX class_space_comment_article ON class_space_comment (article_id, id);
CREATE INDEX class_space_comment_author ON class_space_comment (author_id);
