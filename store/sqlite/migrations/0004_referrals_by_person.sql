-- A person's referrals, newest or oldest first, for the desk's history of a
-- caller (referral.Filter.PersonID). An index on the pseudonymous id inside
-- the document: the write paths stay as they are.
CREATE INDEX referrals_by_person ON referrals (json_extract(doc, '$.person_id'), created_at_ns, id);
