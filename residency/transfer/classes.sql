-- The one definition of the transfer classes. DuckDB and Spark both run this text as is
-- (plan.py splits it at the "-- view:" lines; each part is one SELECT that becomes a view
-- or table of that name). It uses only SQL both engines read the same way.
--
-- Inputs: src_rows and dst_rows, one row per inventory row, already normalised by plan.py:
--   inv (source inventories 0..n-1, oldest first), source_key, key (after the prefix map),
--   version, is_current, is_delete_marker, size, md5 (lower-case hex), crc32c, crc64 (base64),
--   etag (an S3 ETag that is no MD5, comparable only with an equal one), modified,
--   pick (a text that sorts like: newer report, current first, later modified),
--   signature (a 64-bit hash of every content field: different hashes, different content).
-- {newest} is replaced by the index of the newest source inventory (an integer).

-- view: src_keys
-- One pass over every source row, grouped by key:
-- * every key any source report lists (a key deleted entirely since an older report still counts);
-- * what the source holds now, from its newest report: a current version, and what deletion left;
-- * which rows hold the content to compare: from the newest report that has any, its current
--   version or else its newest noncurrent one (the highest `pick`, a text that sorts that way).
SELECT key, MIN(source_key) AS source_key,
       MAX(CASE WHEN inv = {newest} AND is_current THEN 1 ELSE 0 END) AS holds_current,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN 1 ELSE 0 END)
           AS residual_rows,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN COALESCE(size, 0) ELSE 0 END)
           AS residual_bytes,
       SUM(CASE WHEN inv = {newest} AND is_delete_marker THEN 1 ELSE 0 END) AS delete_markers,
       MAX(CASE WHEN NOT is_delete_marker THEN pick END) AS top
FROM src_rows
GROUP BY key

-- view: src_content
-- The content rows chosen by `top`. Rows tied with it that differ in content (their signatures'
-- hashes differ) make the choice ambiguous (fail closed); tied rows with the same content are one.
-- (The fields of an ambiguous choice are never compared; MAX keeps its size the same in every engine.)
SELECT r.key, MAX(r.size) AS size, any_value(r.md5) AS md5, any_value(r.crc32c) AS crc32c,
       any_value(r.crc64) AS crc64, any_value(r.etag) AS etag, MIN(r.signature) <> MAX(r.signature) AS ambiguous
FROM src_rows r
JOIN src_keys k ON k.key = r.key AND k.top = r.pick
WHERE NOT r.is_delete_marker
GROUP BY r.key

-- view: dst_content
-- The destination's content: its current version; current rows of one key that differ in
-- content are ambiguous.
SELECT key, MAX(size) AS size, any_value(md5) AS md5, any_value(crc32c) AS crc32c, any_value(crc64) AS crc64,
       any_value(etag) AS etag, MIN(signature) <> MAX(signature) AS ambiguous
FROM dst_rows
WHERE is_current
GROUP BY key

-- view: compared
-- Content is compared only where comparable: sizes, then an MD5, a CRC32C or a CRC64 both sides
-- have; two equal opaque S3 ETags match, two different ones prove nothing.
SELECT k.key, k.source_key,
       k.holds_current = 1 AS holds_current,
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
FROM src_keys

-- view: details
SELECT source_key, key AS destination_key, class, bytes
FROM classified
WHERE class <> 'moved'
