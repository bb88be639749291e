-- Whether the lake holds demo data, and how many uploads it holds. One row.
-- params: (none)
select coalesce(bool_or(demo), false) as demo, count(*) as uploads
from uploads
