-- +goose Up
-- Money in øre: goodwill amounts and limits and improvement savings were whole kroner;
-- a Danish user's "250,50" could not be kept. The columns keep their names (the API,
-- the CSV files and history entries still speak kroner) and now hold exact øre
-- (models.Money). INTEGER holds them: one goodwill amount is at most 1,000,000 kr
-- (10^8 øre) and a branch's limit at most 10,000,000 kr (10^9 øre), below 2^31, so no
-- table is rewritten (an old limit above 21,474,836 kr would stop this migration with
-- "integer out of range" rather than be stored wrong).
UPDATE feedback SET goodwill_amount = goodwill_amount * 100 WHERE goodwill_amount <> 0;
UPDATE branches SET goodwill_monthly_limit = goodwill_monthly_limit * 100 WHERE goodwill_monthly_limit <> 0;
UPDATE improvements SET savings_estimated_kr = savings_estimated_kr * 100 WHERE savings_estimated_kr IS NOT NULL;
UPDATE improvements SET savings_realised_kr = savings_realised_kr * 100 WHERE savings_realised_kr IS NOT NULL;

-- +goose Down
-- Back to whole kroner: øre are dropped (rounded toward zero).
UPDATE feedback SET goodwill_amount = goodwill_amount / 100 WHERE goodwill_amount <> 0;
UPDATE branches SET goodwill_monthly_limit = goodwill_monthly_limit / 100 WHERE goodwill_monthly_limit <> 0;
UPDATE improvements SET savings_estimated_kr = savings_estimated_kr / 100 WHERE savings_estimated_kr IS NOT NULL;
UPDATE improvements SET savings_realised_kr = savings_realised_kr / 100 WHERE savings_realised_kr IS NOT NULL;
