-- Tokens are kept as their SHA-256 in hex (as Laravel Sanctum keeps them):
-- a copy of the database gives away no usable token. The server hashes a
-- presented token the same way (`store::token_digest`).
ALTER TABLE token_brands DROP CONSTRAINT token_brands_token_fkey;
ALTER TABLE tokens RENAME COLUMN token TO token_sha256;
ALTER TABLE token_brands RENAME COLUMN token TO token_sha256;
UPDATE tokens SET token_sha256 = encode(sha256(convert_to(token_sha256, 'UTF8')), 'hex');
UPDATE token_brands SET token_sha256 = encode(sha256(convert_to(token_sha256, 'UTF8')), 'hex');
ALTER TABLE token_brands ADD CONSTRAINT token_brands_token_fkey FOREIGN KEY (token_sha256) REFERENCES tokens (token_sha256);
