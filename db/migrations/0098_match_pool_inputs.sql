-- The candidate pools' inputs, kept with the user's best-match table state (docs/matching.md "The candidate
-- pools"; issue 15): the profile's skills by canonical name (`pool_skills`) and its role words as a tsquery
-- text (`pool_roles`, NULL when the roles give none), both computed in TypeScript (core/match_pools.ts). The
-- save of a resume or preferences writes them in its own transaction, and a rebuild for an unchanged profile
-- writes them too, so they always describe the profile the search reads: the search can then send the pools'
-- statement in its first round trip, before the profile is in hand. `pool_skills` NULL: not known yet (a
-- profile saved before this migration and not rebuilt since): the search reads the profile first.
ALTER TABLE match_candidate_state ADD COLUMN pool_skills TEXT[], ADD COLUMN pool_roles TEXT;
-- The user's save writes them with the rest of its row (the refresh, as the owner, too).
GRANT INSERT (pool_skills, pool_roles), UPDATE (pool_skills, pool_roles) ON match_candidate_state TO app_user;
