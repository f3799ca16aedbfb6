-- The one definition of the transfer classes. DuckDB and Spark both run this text as is
-- (plan.py splits it at the "-- view:" lines; each part is one SELECT that becomes a view
-- or table of that name). It uses only SQL both engines read the same way.
--
-- Inputs: src_rows and dst_rows, one row per inventory row, already normalised by plan.py:
--   inv (source inventories 0..n-1, oldest first), source_key, key (after the prefix map),
--   version, is_current, is_delete_marker, size, md5 (lower-case hex), crc32c, crc64 (base64),
--   etag (an S3 ETag that is no MD5, comparable only with an equal one), modified,
--   pick (a text that sorts like: newer report, current first, later modified),
--   hashed (19 digits: a hash of every content field; different digits, different content),
--   content (every content field packed at fixed widths: size 20, md5 32, crc32c 8, crc64 12, etag).
-- {newest} is replaced by the index of the newest source inventory (an integer), {source_key} by
-- MIN(source_key) under a prefix map, else by key.

-- view: src_keys
-- One pass over every source row, grouped by key:
-- * every key any source report lists (a key deleted entirely since an older report still counts);
-- * what the source holds now, from its newest report: a current version, and what deletion left;
-- * the content to compare: from the newest report that has any, its current version or else its
--   newest noncurrent one. `best` is the greatest pick + chr(1) + hashed + content over the key's
--   content rows (delete markers have none); `low` the greatest pick + chr(1) + inverted hash, i.e.
--   the smallest hash among the rows tied on the best pick. best's and low's hashes differ exactly
--   when tied rows differ in content: then which content left is ambiguous (fail closed).
SELECT key, {source_key} AS source_key,
       MAX(CASE WHEN inv = {newest} AND is_current THEN 1 ELSE 0 END) AS holds_current,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN 1 ELSE 0 END)
           AS residual_rows,
       SUM(CASE WHEN inv = {newest} AND NOT is_current AND NOT is_delete_marker THEN COALESCE(size, 0) ELSE 0 END)
           AS residual_bytes,
       SUM(CASE WHEN inv = {newest} AND is_delete_marker THEN 1 ELSE 0 END) AS delete_markers,
       MAX(CASE WHEN NOT is_delete_marker THEN concat(pick, chr(1), hashed, content) END) AS best,
       MAX(CASE WHEN NOT is_delete_marker THEN concat(pick, chr(1), translate(hashed, '0123456789', '9876543210')) END)
           AS low
FROM src_rows
GROUP BY key

-- view: dst_content
-- The destination's content: its current version. `best` and `low` as for the source: two current
-- rows of one key that differ in content are ambiguous.
SELECT key, MAX(concat(hashed, content)) AS best, MIN(hashed) AS low
FROM dst_rows
WHERE is_current
GROUP BY key

-- view: unpacked
-- Both sides' content fields, unpacked from the fixed widths (after the 19 hash digits).
SELECT k.key, k.source_key, k.holds_current = 1 AS holds_current, k.residual_rows, k.residual_bytes,
       k.delete_markers, d.key IS NOT NULL AS arrived,
       k.best IS NULL OR substr(k.packed, 1, 19) <> translate(k.low_hash, '0123456789', '9876543210')
           OR substr(d.best, 1, 19) <> d.low AS unknown,
       CAST(NULLIF(trim(substr(k.packed, 20, 20)), '') AS BIGINT) AS size,
       CAST(NULLIF(trim(substr(d.best, 20, 20)), '') AS BIGINT) AS dst_size,
       NULLIF(trim(substr(k.packed, 40, 32)), '') AS md5, NULLIF(trim(substr(d.best, 40, 32)), '') AS dst_md5,
       NULLIF(trim(substr(k.packed, 72, 8)), '') AS crc32c, NULLIF(trim(substr(d.best, 72, 8)), '') AS dst_crc32c,
       NULLIF(trim(substr(k.packed, 80, 12)), '') AS crc64, NULLIF(trim(substr(d.best, 80, 12)), '') AS dst_crc64,
       NULLIF(substr(k.packed, 92), '') AS etag, NULLIF(substr(d.best, 92), '') AS dst_etag
FROM (SELECT *, substr(best, instr(best, chr(1)) + 1) AS packed, substr(low, instr(low, chr(1)) + 1) AS low_hash
      FROM src_keys) k
LEFT JOIN dst_content d ON d.key = k.key

-- view: compared
-- Content is compared only where comparable: sizes, then an MD5, a CRC32C or a CRC64 both sides
-- have; two equal opaque S3 ETags match, two different ones prove nothing.
SELECT key, source_key, holds_current, residual_rows, residual_bytes, delete_markers,
       -- an ambiguous choice has no size of its own: the destination's (the same in every engine)
       CASE WHEN unknown THEN dst_size ELSE COALESCE(size, dst_size) END AS bytes,
       CASE
           WHEN NOT arrived THEN 'absent'
           WHEN unknown THEN 'unknown'
           WHEN size IS NOT NULL AND dst_size IS NOT NULL AND size <> dst_size THEN 'differs'
           WHEN md5 IS NOT NULL AND dst_md5 IS NOT NULL THEN CASE WHEN md5 = dst_md5 THEN 'same' ELSE 'differs' END
           WHEN crc32c IS NOT NULL AND dst_crc32c IS NOT NULL THEN
               CASE WHEN crc32c = dst_crc32c THEN 'same' ELSE 'differs' END
           WHEN crc64 IS NOT NULL AND dst_crc64 IS NOT NULL THEN
               CASE WHEN crc64 = dst_crc64 THEN 'same' ELSE 'differs' END
           WHEN etag IS NOT NULL AND etag = dst_etag THEN 'same'
           ELSE 'unknown'
       END AS content
FROM unpacked

-- view: classified
SELECT key, source_key, bytes, residual_rows, residual_bytes, delete_markers,
       CASE
           WHEN content = 'absent' THEN CASE WHEN holds_current THEN 'not-copied' ELSE 'lost' END
           WHEN content = 'differs' THEN 'content-mismatch'
           WHEN content = 'unknown' THEN 'content-unverified'
           WHEN holds_current THEN 'copied-not-deleted'
           ELSE 'moved'
       END AS class
FROM compared

-- view: totals
-- Objects and bytes per class, and what deletion left at the source, in one pass.
SELECT class, COUNT(*) AS objects, SUM(COALESCE(bytes, 0)) AS bytes, SUM(residual_rows) AS residual_rows,
       SUM(residual_bytes) AS residual_bytes, SUM(delete_markers) AS delete_markers
FROM classified
GROUP BY class

-- view: details
SELECT source_key, key AS destination_key, class, bytes
FROM classified
WHERE class <> 'moved'
