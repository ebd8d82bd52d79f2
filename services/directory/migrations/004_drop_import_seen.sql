-- The people a full export names are kept in memory during the run.
DROP TABLE directory_import_seen;
