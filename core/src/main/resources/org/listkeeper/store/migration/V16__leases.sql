-- Work only one node of a cluster may do at a time (housekeeping), leased to one holder (a node's JVM) until
-- expires_at; the holder renews it at each run, and a dead holder's lease passes to another node once it expired.
CREATE TABLE lk_lease (
    name        VARCHAR(200) NOT NULL,
    holder      VARCHAR(200) NOT NULL,
    expires_at  BIGINT       NOT NULL,
    acquired_at BIGINT       NOT NULL,
    CONSTRAINT lk_lease_pk PRIMARY KEY (name)
);
