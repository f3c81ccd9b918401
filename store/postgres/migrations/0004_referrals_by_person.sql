-- A person's referrals, for the desk's history of a caller
-- (referral.Filter.PersonID). An index on the pseudonymous id inside the
-- document: the write paths stay as they are.
CREATE INDEX referrals_by_person ON referrals ((doc->>'person_id'), created_at_ns, id);
