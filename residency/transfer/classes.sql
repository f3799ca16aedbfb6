-- The one definition of the transfer classes. DuckDB and Spark both run this text as is
-- (plan.py splits it at the "-- view:" lines; each part is one SELECT that becomes a view
-- or table of that name). It uses only SQL both engines read the same way.
--
-- Inputs: src_rows and dst_rows, one row per inventory row, already normalised by plan.py:
--   inv (source inventories 0..n-1, oldest first), source_key, key (after the prefix map),
--   version, is_current, is_delete_marker, size, md5 (base64), crc32c, crc64,
--   etag (an S3 ETag that is no MD5, comparable only with an equal one), modified.
-- {newest} is replaced by the index of the newest source inventory (an integer).

-- view: src_keys
-- Every key any source inventory lists: a key deleted entirely since an older report still counts.
SELECT key, MIN(source_key) AS source_key
FROM src_rows
GROUP BY key

-- view: src_now
-- What the source holds now (its newest report): a current version, and what deletion left.
SELECT key,
       MAX(CASE WHEN is_current THEN 1 ELSE 0 END) AS holds_current,
       SUM(CASE WHEN NOT is_current AND NOT is_delete_marker THEN 1 ELSE 0 END) AS residual_rows,
       SUM(CASE WHEN NOT is_current AND NOT is_delete_marker THEN COALESCE(size, 0) ELSE 0 END) AS residual_bytes,
       SUM(CASE WHEN is_delete_marker THEN 1 ELSE 0 END) AS delete_markers
FROM src_rows
WHERE inv = {newest}
GROUP BY key

-- view: src_content
-- The source's content: from the newest report that holds any, its current version or else its
-- newest noncurrent one. Rows tied with it on that order but differing in content make the
-- choice ambiguous (fail closed).
SELECT key, size, md5, crc32c, crc64, etag,
       min_size <> max_size OR min_md5 <> max_md5 OR min_crc32c <> max_crc32c OR min_crc64 <> max_crc64
           OR min_etag <> max_etag AS ambiguous
FROM (
    SELECT key, size, md5, crc32c, crc64, etag,
           ROW_NUMBER() OVER (PARTITION BY key
                              ORDER BY inv DESC, CASE WHEN is_current THEN 1 ELSE 0 END DESC,
                                       modified DESC NULLS LAST, version DESC NULLS LAST) AS choice,
           MIN(COALESCE(size, -1)) OVER peers AS min_size, MAX(COALESCE(size, -1)) OVER peers AS max_size,
           MIN(COALESCE(md5, '')) OVER peers AS min_md5, MAX(COALESCE(md5, '')) OVER peers AS max_md5,
           MIN(COALESCE(crc32c, '')) OVER peers AS min_crc32c, MAX(COALESCE(crc32c, '')) OVER peers AS max_crc32c,
           MIN(COALESCE(crc64, '')) OVER peers AS min_crc64, MAX(COALESCE(crc64, '')) OVER peers AS max_crc64,
           MIN(COALESCE(etag, '')) OVER peers AS min_etag, MAX(COALESCE(etag, '')) OVER peers AS max_etag
    FROM src_rows
    WHERE NOT is_delete_marker
    WINDOW peers AS (PARTITION BY key, inv, is_current, modified)
) ranked
WHERE choice = 1

-- view: dst_content
-- The destination's content: its current version; two current rows for one key that differ in
-- content are ambiguous.
SELECT key, MAX(size) AS size, MAX(md5) AS md5, MAX(crc32c) AS crc32c, MAX(crc64) AS crc64, MAX(etag) AS etag,
       MIN(COALESCE(size, -1)) <> MAX(COALESCE(size, -1)) OR MIN(COALESCE(md5, '')) <> MAX(COALESCE(md5, ''))
           OR MIN(COALESCE(crc32c, '')) <> MAX(COALESCE(crc32c, ''))
           OR MIN(COALESCE(crc64, '')) <> MAX(COALESCE(crc64, ''))
           OR MIN(COALESCE(etag, '')) <> MAX(COALESCE(etag, '')) AS ambiguous
FROM dst_rows
WHERE is_current
GROUP BY key

-- view: compared
-- Content is compared only where comparable: sizes, then an MD5, a CRC32C or a CRC64 both sides
-- have; two equal opaque S3 ETags match, two different ones prove nothing.
SELECT k.key, k.source_key,
       COALESCE(n.holds_current, 0) = 1 AS holds_current,
       COALESCE(c.size, d.size) AS bytes,
       CASE
           WHEN d.key IS NULL THEN 'absent'
           WHEN c.key IS NULL OR c.ambiguous OR d.ambiguous THEN 'unknown'
           WHEN c.size IS NOT NULL AND d.size IS NOT NULL AND c.size <> d.size THEN 'differs'
           WHEN c.md5 IS NOT NULL AND d.md5 IS NOT NULL THEN
               CASE WHEN c.md5 = d.md5 THEN 'same' ELSE 'differs' END
           WHEN c.crc32c IS NOT NULL AND d.crc32c IS NOT NULL THEN
               CASE WHEN c.crc32c = d.crc32c THEN 'same' ELSE 'differs' END
           WHEN c.crc64 IS NOT NULL AND d.crc64 IS NOT NULL THEN
               CASE WHEN c.crc64 = d.crc64 THEN 'same' ELSE 'differs' END
           WHEN c.etag IS NOT NULL AND c.etag = d.etag THEN 'same'
           ELSE 'unknown'
       END AS content
FROM src_keys k
LEFT JOIN src_now n ON n.key = k.key
LEFT JOIN src_content c ON c.key = k.key
LEFT JOIN dst_content d ON d.key = k.key

-- view: classified
SELECT key, source_key, bytes,
       CASE
           WHEN content = 'absent' THEN CASE WHEN holds_current THEN 'not-copied' ELSE 'lost' END
           WHEN content = 'differs' THEN 'content-mismatch'
           WHEN content = 'unknown' THEN 'content-unverified'
           WHEN holds_current THEN 'copied-not-deleted'
           ELSE 'moved'
       END AS class
FROM compared

-- view: class_counts
SELECT class, COUNT(*) AS objects, SUM(COALESCE(bytes, 0)) AS bytes
FROM classified
GROUP BY class

-- view: residue
SELECT SUM(residual_rows) AS residual_rows, SUM(residual_bytes) AS residual_bytes,
       SUM(delete_markers) AS delete_markers
FROM src_now

-- view: details
SELECT source_key, key AS destination_key, class, bytes
FROM classified
WHERE class <> 'moved'
