-- Where each FHIR poll (server and query) has got to: the newest meta.lastUpdated already stored.
CREATE TABLE fhir_poll_cursor (
    source        VARCHAR(1000) PRIMARY KEY,
    last_updated  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
