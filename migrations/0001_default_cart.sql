-- The default cart behind the classic /api/cart-items/ surface. It never expires.
INSERT INTO `carts` (`id`, `currency`, `version`, `metadata`, `created_at`, `updated_at`, `expires_at`)
VALUES ('default', 'USD', 1, '{}', CAST(strftime('%s', 'now') AS INTEGER) * 1000, CAST(strftime('%s', 'now') AS INTEGER) * 1000, NULL)
ON CONFLICT (`id`) DO NOTHING;
