import { randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { isUuid } from '@rec/domain'
import { SignJWT } from 'jose'
import { ConfigError, loadConfig } from './config.js'
import { loadDotEnv } from './dotenv.js'
import { resolveJwtSecret } from './jwt-secret.js'

const USAGE = `Usage: pnpm token [--sub UUID] [--ttl 1h]

Prints a JWT (HS256, with iat and exp) that the running development server accepts, signed with
JWT_SECRET or the secret generated into DATA_DIR/jwt-secret.

Options:
  --sub UUID   the user id (the token's sub); default: a new random UUID
  --ttl TIME   lifetime, like 30m, 1h or 7d; default: 1h
  -h, --help   print this help and exit
`

/** One line on stderr and exit 1: a CLI mistake is not a crash, so no stack trace. */
function fail(message: string): never {
  process.stderr.write(`pnpm token: ${message}\n`)
  process.exit(1)
}

function readArgs(): { sub?: string | undefined; ttl: string } {
  try {
    const { values } = parseArgs({
      options: {
        sub: { type: 'string' },
        ttl: { type: 'string', default: '1h' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      process.stdout.write(USAGE)
      process.exit(0)
    }
    return { sub: values.sub, ttl: values.ttl ?? '1h' }
  } catch (error) {
    // parseArgs throws on an unknown flag, a missing value or a stray argument.
    const message = error instanceof Error ? error.message : String(error)
    return fail(`${message.split('\n')[0]} (see pnpm token --help)`)
  }
}

// `pnpm token [--sub UUID] [--ttl 1h]`: a JWT the running development server accepts.
loadDotEnv()
const args = readArgs()
if (args.sub !== undefined && !isUuid(args.sub)) fail(`--sub must be a UUID (the user id), got ${args.sub}`)
if (!/^\d+\s?(s|sec|m|min|h|hr|d|day|w|week)s?$/i.test(args.ttl)) fail(`--ttl must look like 30m, 1h or 7d`)
let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (error) {
  if (error instanceof ConfigError) fail(error.message)
  throw error
}
const secret = await resolveJwtSecret(config)
if (!secret) fail('JWKS_URL is set: tokens come from your identity provider, not from pnpm token')
let jwt = new SignJWT({})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
  .setSubject(args.sub ?? randomUUID())
  .setIssuedAt()
  .setExpirationTime(args.ttl)
if (config.JWT_ISSUER) jwt = jwt.setIssuer(config.JWT_ISSUER)
if (config.JWT_AUDIENCE) jwt = jwt.setAudience(config.JWT_AUDIENCE)
process.stdout.write(`${await jwt.sign(secret)}\n`)
