import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { SignJWT } from 'jose'
import { loadConfig } from './config.js'
import { loadDotEnv } from './dotenv.js'
import { resolveJwtSecret } from './jwt-secret.js'

// `pnpm token [--sub UUID] [--ttl 1h]`: a JWT the running development server accepts.
loadDotEnv()
const { values } = parseArgs({
  options: { sub: { type: 'string' }, ttl: { type: 'string', default: '1h' } },
})
const config = loadConfig(process.env)
const secret = await resolveJwtSecret(config)
if (!secret) {
  console.error('JWKS_URL is set: tokens come from your identity provider, not from pnpm token')
  process.exit(1)
}
let jwt = new SignJWT({})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(values.sub ?? randomUUID())
jwt = jwt.setIssuedAt().setExpirationTime(values.ttl ?? '1h')
if (config.JWT_ISSUER) jwt = jwt.setIssuer(config.JWT_ISSUER)
if (config.JWT_AUDIENCE) jwt = jwt.setAudience(config.JWT_AUDIENCE)
process.stdout.write(`${await jwt.sign(secret)}\n`)
