/**
 * Signs in to a running console as a browser would (form POST with the page's origin) and
 * returns the session cookie for later requests.
 */
export async function signIn(baseUrl: string, login: string, password: string): Promise<{ status: number; cookie?: string; location?: string | null; body: string }> {
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, accept: 'text/html' },
    body: new URLSearchParams({ login, password }),
  });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = /crossdock_session=[^;]+/.exec(setCookie)?.[0];
  return { status: response.status, cookie, location: response.headers.get('location'), body: await response.text() };
}
