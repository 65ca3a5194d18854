import { describe, expect, it } from 'vitest'
import { contentDisposition, downloadFileName } from './content-disposition.js'

const id = '0b7e8f6c-3c1e-4c4e-9a51-8d2f0e6c1a11'
const media = (name: string | null, format: 'webm' | 'mp3' = 'webm') => ({ id, name, config: { format } })

describe('downloadFileName', () => {
  it('is the name, or the id, plus the format extension once', () => {
    expect(downloadFileName({ id, config: { format: 'mp4' } })).toBe(`${id}.mp4`)
    expect(downloadFileName(media(null))).toBe(`${id}.webm`)
    expect(downloadFileName(media('interview'))).toBe('interview.webm')
    expect(downloadFileName(media('Interview.WEBM'))).toBe('Interview.WEBM')
    expect(downloadFileName(media('song.mp3.part', 'mp3'))).toBe('song.mp3.part.mp3')
  })

  it('removes path separators, control characters and leading dots; falls back to the id', () => {
    expect(downloadFileName(media('../../etc/passwd'))).toBe('_.._etc_passwd.webm')
    expect(downloadFileName(media('a\r\nb\u0000c\u202ed'))).toBe('a_b_c_d.webm')
    expect(downloadFileName(media(' .. '))).toBe(`${id}.webm`)
    expect(downloadFileName(media('x'.repeat(500))).length).toBe(205)
    expect(downloadFileName(media('bad\ud800half'))).toBe('bad_half.webm')
  })
})

describe('contentDisposition', () => {
  it('quotes a plain ASCII name only', () => {
    expect(contentDisposition('inline', 'clip.webm')).toBe('inline; filename="clip.webm"')
  })

  it('adds filename* (RFC 5987, UTF-8) for non-ASCII, with an ASCII fallback', () => {
    expect(contentDisposition('attachment', 'vidéo été.webm')).toBe(
      `attachment; filename="vid_o _t_.webm"; filename*=UTF-8''vid%C3%A9o%20%C3%A9t%C3%A9.webm`,
    )
    expect(contentDisposition('attachment', '会议 (1).webm')).toBe(
      `attachment; filename="__ (1).webm"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE%20%281%29.webm`,
    )
    expect(contentDisposition('attachment', "it's 100%.webm")).toBe(
      `attachment; filename="it's 100_.webm"; filename*=UTF-8''it%27s%20100%25.webm`,
    )
    expect(contentDisposition('inline', 'x\ud800.webm')).toContain(`filename*=UTF-8''x%EF%BF%BD.webm`)
    expect(contentDisposition('attachment', '🎬.webm')).toContain(`filename*=UTF-8''%F0%9F%8E%AC.webm`)
  })

  it('round-trips: decoding filename* gives the name back', () => {
    for (const name of ['vidéo.webm', "é a'b(c)*.webm", 'Ωmega 🎬.mp3']) {
      const star = contentDisposition('attachment', name).split("filename*=UTF-8''")[1] ?? ''
      expect(decodeURIComponent(star)).toBe(name)
      expect(star).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/)
    }
  })
})
