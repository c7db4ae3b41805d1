// Demo helper: asks the rtm-chat server for a dev token (on while RTM_DEV_TOKENS is not 0). A real
// site gets tokens from its own backend instead (createToken from rtm-chat/server, or the CLI).
async function fetchDevToken(server, appId, uid) {
  const response = await fetch(`${server}/api/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ uid, appId }),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || `Dev token request failed (${response.status})`);
  return body.token;
}
