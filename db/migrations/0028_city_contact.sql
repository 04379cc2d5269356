-- 問い合わせ窓口 (ADR 031): the city's phone numbers, hours, web and disaster pages; null = not set.
ALTER TABLE "tenants" ADD COLUMN "contact" jsonb;
