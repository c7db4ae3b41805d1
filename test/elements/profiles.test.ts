import { expect, fixture } from '@open-wc/testing';
import '../../src/define.js';
import { createInstance } from '../../src/client/index.js';
import { MAX_DISPLAY_NAME_LENGTH, PROFILE_ATTRIBUTES } from '../../src/protocol/index.js';
import type { RtmChatElement } from '../../src/elements/rtm-chat/rtm-chat.js';
import { appId, deepQuery, deepQueryAll, devToken, serverUrl, uniqueId, waitFor } from './helpers.js';

const AVATAR = 'https://avatars.example.com/bob.png';

/** An `<rtm-chat>` signed in as `uid`, with extra attributes (and child views) as markup. */
async function chatFor(uid: string, attributes = '', children = ''): Promise<RtmChatElement> {
  const holder = document.createElement('div');
  holder.innerHTML = `<rtm-chat ${attributes} server="${serverUrl()}" app-id="${appId()}" user-id="${uid}" token="${await devToken(uid)}">${children}</rtm-chat>`;
  const el = await fixture<RtmChatElement>(holder.firstElementChild as RtmChatElement);
  await waitFor(() => el.session?.$connection.get().state === 'CONNECTED', 'the session to connect');
  return el;
}

/** Sets `uid`'s user attributes the way any Agora-style client would, then signs it out. */
async function setAttributes(uid: string, attributes: Record<string, string>): Promise<void> {
  const client = createInstance(appId(), { server: serverUrl() });
  await client.login({ uid, token: await devToken(uid) });
  await client.setLocalUserAttributes(attributes);
  await client.logout();
}

const text = (element: Element | undefined) => element?.textContent?.trim();

/** Polls an asynchronous check (a server read) until it holds. */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('display names and avatars from user attributes', () => {
  it('<rtm-chat display-name avatar> writes them; the other side shows them in the inbox, the header and channel messages', async () => {
    const [aliceId, bobId] = [uniqueId('alice'), uniqueId('bob')];
    const room = uniqueId('room');
    const bob = await chatFor(bobId, `display-name="Bob Builder" avatar="${AVATAR}"`, `<rtm-channel channel="${room}"></rtm-channel>`);
    await waitFor(() => bob.session!.$profiles.get().get(bobId)?.name === 'Bob Builder', "bob's own profile");
    await bob.session!.send(bob.session!.conversationKey('peer', aliceId), 'hi alice');

    const alice = await chatFor(aliceId);
    // The inbox lists bob by his name, with his avatar.
    const row = await waitFor(() => deepQuery(alice, '[part~="conversation-row"]'), "bob's conversation in the inbox");
    await waitFor(() => text(deepQuery(row, '[part~="name"]')) === 'Bob Builder', 'his name in the inbox');
    expect(deepQuery<HTMLImageElement>(row, '[part~="avatar"]')?.src).to.equal(AVATAR);
    expect(deepQuery<HTMLImageElement>(row, '[part~="avatar"]')?.alt).to.equal('', 'decorative: the name is beside it');
    expect(deepQuery(row, '[part~="conversation"]')?.textContent?.trim(), 'the accessible name of the row').to.equal('Bob Builder');

    // His conversation's header and his message.
    deepQuery<HTMLButtonElement>(row, '[part~="conversation"]')!.click();
    await waitFor(() => text(deepQuery(alice, '[part~="title"]')) === 'Bob Builder', 'the header');
    expect(deepQuery<HTMLImageElement>(alice, '[part~="header"] [part~="avatar"]')?.src).to.equal(AVATAR);
    const sender = await waitFor(() => deepQueryAll(alice, '[part~="sender"]').find((element) => text(element) === 'Bob Builder'), 'the sender name');
    expect(sender.tagName, 'a name is isolated: a right-to-left one cannot reorder the time beside it').to.equal('BDI');

    // A channel: each sender by name; one without a profile by user id.
    const carolId = uniqueId('carol');
    const carol = await chatFor(carolId, '', `<rtm-channel channel="${room}"></rtm-channel>`);
    const bobRoom = bob.session!.conversationKey('channel', room);
    await bob.session!.send(bobRoom, 'hello room');
    await waitFor(() => deepQueryAll(carol, '[part~="sender"]').some((sender) => text(sender) === 'Bob Builder'), "bob's name in the channel");
    await carol.session!.send(carol.session!.conversationKey('channel', room), 'hi bob');
    await waitFor(() => deepQueryAll(bob, '[part~="sender"]').some((sender) => text(sender) === carolId), 'carol by her user id');
    await expect(carol).to.be.accessible();
  });

  it('keeps only what can be shown: a long name cut, a non-web avatar dropped, a right-to-left name as it is', async () => {
    const [aliceId, daveId, erinId] = [uniqueId('alice'), uniqueId('dave'), uniqueId('erin')];
    const long = 'D'.repeat(MAX_DISPLAY_NAME_LENGTH + 10);
    await setAttributes(daveId, { [PROFILE_ATTRIBUTES.name]: `  ${long}  `, [PROFILE_ATTRIBUTES.avatar]: 'javascript:alert(1)' });
    await setAttributes(erinId, { [PROFILE_ATTRIBUTES.name]: 'مريم', [PROFILE_ATTRIBUTES.avatar]: 'data:image/png;base64,AAAA' });
    const alice = await chatFor(aliceId);
    alice.session!.loadProfiles([daveId, erinId]);
    await waitFor(() => alice.session!.$profiles.get().has(daveId) && alice.session!.$profiles.get().has(erinId), 'both profiles');
    const dave = alice.session!.$profiles.get().get(daveId)!;
    expect([...dave.name!]).to.have.length(MAX_DISPLAY_NAME_LENGTH);
    expect(dave.name!.endsWith('…')).to.be.true;
    expect(dave.avatar).to.equal(undefined);
    expect(alice.session!.$profiles.get().get(erinId)).to.deep.equal({ name: 'مريم' });
  });

  it('changing display-name rewrites it; an empty one removes it, and the user id shows again', async () => {
    const bobId = uniqueId('bob');
    const bob = await chatFor(bobId, 'display-name="Bob"');
    const read = async () => {
      const client = createInstance(appId(), { server: serverUrl() });
      const watcher = uniqueId('watcher');
      await client.login({ uid: watcher, token: await devToken(watcher) });
      try {
        return await client.getUserAttributes(bobId);
      } finally {
        await client.logout();
      }
    };
    await eventually(async () => (await read())[PROFILE_ATTRIBUTES.name] === 'Bob', 'the first name stored');
    bob.displayName = 'Robert';
    await eventually(async () => (await read())[PROFILE_ATTRIBUTES.name] === 'Robert', 'the new name stored');
    bob.displayName = '';
    await eventually(async () => !(PROFILE_ATTRIBUTES.name in (await read())), 'the name removed');
    await waitFor(() => bob.session!.$profiles.get().get(bobId)?.name === undefined, 'its own profile without a name');
  });
});
