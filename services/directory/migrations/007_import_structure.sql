-- The structure an import concerns (a structure's CSV files); 0 for the
-- académie's feed. A structure's administrators read their own reports.
ALTER TABLE directory_import ADD COLUMN structure_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX directory_import_structure ON directory_import (structure_id, id);
