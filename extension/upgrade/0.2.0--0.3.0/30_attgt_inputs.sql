-- att_gt family (issue 13, items 5 and 6): time-varying covariates, text
-- and uuid unit ids, date periods. The change is in the C library only;
-- the SQL signatures and comments of att_gt, att_gt_aggregate,
-- att_gt_pretest, att_gt_sample and att_gt_event_vcov stay as in 0.2.0.
SELECT 1 WHERE false;
