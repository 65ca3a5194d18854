import { byId } from './dom.js'

const USER_KEY = 'rec.devUserId'
const TOKEN_KEY = 'rec.token'

/**
 * A token for the API: in development the server issues one (`POST /dev/token`) for a user id kept
 * in localStorage, so the same user sees their recordings after a reload; otherwise the user pastes
 * one (kept for the tab only, in sessionStorage).
 */
export async function obtainToken(): Promise<string> {
  const dev = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(localStorage.getItem(USER_KEY) ? { userId: localStorage.getItem(USER_KEY) } : {}),
  }).catch(() => null)
  if (dev?.ok) {
    const { token, userId } = (await dev.json()) as { token: string; userId: string }
    localStorage.setItem(USER_KEY, userId)
    return token
  }
  const saved = sessionStorage.getItem(TOKEN_KEY)
  if (saved) return saved
  return pastedToken()
}

function pastedToken(): Promise<string> {
  const form = byId<HTMLFormElement>('token-form')
  const input = byId<HTMLInputElement>('token')
  form.hidden = false
  return new Promise((resolve) => {
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const token = input.value.trim()
      sessionStorage.setItem(TOKEN_KEY, token)
      form.hidden = true
      resolve(token)
    })
  })
}

/** The `sub` of a JWT (the user id), for display only: the server is what verifies it. */
export function tokenSubject(token: string): string {
  try {
    const payload = token.split('.')[1] ?? ''
    return String(JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).sub ?? '')
  } catch {
    return ''
  }
}

/** Forgets a pasted token the server refused, so a reload asks again. */
export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY)
}
