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
-- {newest} is replaced by the index of the newest source inventory (an integer), {source_key} by
-- MIN(source_key) under a prefix map, else by key.

-- view: src_keys
-- One pass over every source row, grouped by key:
-- * every key any source report lists (a key deleted entirely since an older report still counts);
-- * what the source holds now, from its newest report: a current version, and what deletion left;
-- * the content to compare: from the newest report that has any, its current version or else its
--   newest noncurrent one. `best` is the greatest `pick` + chr(1) + `content` of the key's content
--   rows (delete markers have none): its pick, then its packed content (plan.py, CONTENT).
SELECT key, {source_key} AS source_key,
       MAX(CASE WHEN inv = {newest} AND is_current THEN 1 ELSE 0 END) AS holds_current,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN 1 ELSE 0 END)
           AS residual_rows,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN COALESCE(size, 0) ELSE 0 END)
           AS residual_bytes,
       SUM(CASE WHEN inv = {newest} AND is_delete_marker THEN 1 ELSE 0 END) AS delete_markers,
       SUM(CASE WHEN is_delete_marker THEN 0 ELSE 1 END) AS content_rows,
       MAX(CASE WHEN is_delete_marker THEN NULL ELSE concat(pick, chr(1), content) END) AS best
FROM src_rows
GROUP BY key

-- view: src_best
-- The chosen content, unpacked from `best` (fixed widths: size 20, md5 32, crc32c 8, crc64 12, then etag).
SELECT key, source_key, holds_current, content_rows, best, top,
       CAST(NULLIF(trim(substr(packed, 1, 20)), '') AS BIGINT) AS size,
       NULLIF(trim(substr(packed, 21, 32)), '') AS md5, NULLIF(trim(substr(packed, 53, 8)), '') AS crc32c,
       NULLIF(trim(substr(packed, 61, 12)), '') AS crc64, NULLIF(substr(packed, 73), '') AS etag
FROM (SELECT *, substr(best, 1, instr(best, chr(1)) - 1) AS top, substr(best, instr(best, chr(1)) + 1) AS packed
      FROM src_keys) k

-- view: src_ties
-- Keys with several content rows whose rows tied on `pick` differ in content: which content left
-- is ambiguous (fail closed). Tied rows with the same content are one content.
SELECT r.key
FROM src_rows r
JOIN src_best k ON k.key = r.key AND k.top = r.pick
WHERE k.content_rows > 1 AND NOT r.is_delete_marker
GROUP BY r.key
HAVING MIN(r.signature) <> MAX(r.signature)

-- view: dst_content
-- The destination's content: its current version; current rows of one key that differ in
-- content are ambiguous.
SELECT key, MAX(size) AS size, any_value(md5) AS md5, any_value(crc32c) AS crc32c, any_value(crc64) AS crc64,
       any_value(etag) AS etag, COUNT(*) > 1 AND MIN(signature) <> MAX(signature) AS ambiguous
FROM dst_rows
WHERE is_current
GROUP BY key

-- view: compared
-- Content is compared only where comparable: sizes, then an MD5, a CRC32C or a CRC64 both sides
-- have; two equal opaque S3 ETags match, two different ones prove nothing.
SELECT k.key, k.source_key,
       k.holds_current = 1 AS holds_current,
       -- an ambiguous choice has no size of its own: the destination's (the same in every engine)
       CASE WHEN t.key IS NULL THEN COALESCE(k.size, d.size) ELSE d.size END AS bytes,
       CASE
           WHEN d.key IS NULL THEN 'absent'
           WHEN k.best IS NULL OR t.key IS NOT NULL OR d.ambiguous THEN 'unknown'
           WHEN k.size IS NOT NULL AND d.size IS NOT NULL AND k.size <> d.size THEN 'differs'
           WHEN k.md5 IS NOT NULL AND d.md5 IS NOT NULL THEN
               CASE WHEN k.md5 = d.md5 THEN 'same' ELSE 'differs' END
           WHEN k.crc32c IS NOT NULL AND d.crc32c IS NOT NULL THEN
               CASE WHEN k.crc32c = d.crc32c THEN 'same' ELSE 'differs' END
           WHEN k.crc64 IS NOT NULL AND d.crc64 IS NOT NULL THEN
               CASE WHEN k.crc64 = d.crc64 THEN 'same' ELSE 'differs' END
           WHEN k.etag IS NOT NULL AND k.etag = d.etag THEN 'same'
           ELSE 'unknown'
       END AS content
FROM src_best k
LEFT JOIN dst_content d ON d.key = k.key
LEFT JOIN src_ties t ON t.key = k.key

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
