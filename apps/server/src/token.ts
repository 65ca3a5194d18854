import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { isUuid } from '@rec/domain'
import { SignJWT } from 'jose'
import { loadConfig } from './config.js'
import { loadDotEnv } from './dotenv.js'
import { resolveJwtSecret } from './jwt-secret.js'

// `pnpm token [--sub UUID] [--ttl 1h]`: a JWT the running development server accepts.
loadDotEnv()
const { values } = parseArgs({
  options: { sub: { type: 'string' }, ttl: { type: 'string', default: '1h' } },
})
const fail = (message: string): never => {
  process.stderr.write(`${message}\n`)
  process.exit(1)
}
if (values.sub !== undefined && !isUuid(values.sub))
  fail(`--sub must be a UUID (the user id), got ${values.sub}`)
if (!/^\d+\s?(s|sec|m|min|h|hr|d|day|w|week)s?$/i.test(values.ttl ?? ''))
  fail(`--ttl must look like 30m, 1h or 7d`)
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
