-- +goose Up
-- Money in øre: goodwill amounts and limits and improvement savings were whole kroner;
-- a Danish user's "250,50" could not be kept. The columns keep their names (the API,
-- the CSV files and history entries still speak kroner) and now hold exact øre
-- (models.Money). Only rows with an amount are touched, and no trigger on feedback
-- watches goodwill_amount, so the rollups are not rewritten.
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
