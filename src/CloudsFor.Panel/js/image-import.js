// Importing a custom image, two ways: from a URL the server downloads, or from a file on this computer, uploaded with
// a progress bar. Either way the image is new until the server has checked it, then available or errored (the list
// shows it live, with the reason).
import { get, post, upload } from './api.js';
import { h, field, showErrors, showBanner, clearErrors } from './ui.js';

/** What the list shows under an image's status: how far its bytes came, or why it failed. */
export function importStatus(image) {
  if (image.error_message) return h('p', { class: 'small image-error' }, image.error_message);
  const p = image.import;
  if (image.status !== 'new' || !p) return null;
  return h('p', { class: 'muted small' }, p.bytes_total ? `${mb(p.bytes_done)} of ${mb(p.bytes_total)} MB` : `${mb(p.bytes_done)} MB so far`);
}

const mb = n => (n / 1e6).toFixed(1);

export function importForm(imported) {
  const fromUrl = h('input', { type: 'radio', name: 'source', value: 'url', checked: true });
  const fromFile = h('input', { type: 'radio', name: 'source', value: 'file' });
  const source = h('fieldset', { class: 'field' }, h('legend', {}, 'Source'),
    h('label', { class: 'check' }, fromUrl, ' From a URL ', h('span', { class: 'muted small' }, 'the server downloads it')),
    h('label', { class: 'check' }, fromFile, ' From a file on this computer ', h('span', { class: 'muted small' }, 'uploaded from here')));
  const url = h('input', { name: 'url', type: 'url', autocomplete: 'off', spellcheck: 'false', placeholder: 'https://example.com/disk.qcow2' });
  const file = h('input', { name: 'file', type: 'file', accept: '.qcow2,.img,.raw,application/octet-stream' });
  const urlField = field('Image URL', url, 'http or https. The server refuses addresses of private networks unless its operator allows them.');
  const fileField = field('Image file', file, 'A qcow2 file, or a raw disk with a partition table.');
  fileField.hidden = true;
  const name = h('input', { name: 'name', required: true, autocomplete: 'off', spellcheck: 'false' });
  const distribution = h('input', { name: 'distribution', autocomplete: 'off', placeholder: 'e.g. Debian' });
  const region = h('select', { name: 'region' }, h('option', { value: '' }, 'the default region'));
  get('/regions').then(r => region.append(...r.regions.map(x => h('option', { value: x.slug }, `${x.name} (${x.slug})`)))).catch(() => {});
  const description = h('textarea', { name: 'description', rows: 2, maxlength: 1024 });
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Upload progress' });
  const progressText = h('span', { class: 'muted small' });
  const progressBox = h('div', { class: 'upload-progress', role: 'status', hidden: true }, progress, progressText);
  const submit = h('button', { type: 'submit' }, 'Import image');
  const form = h('form', { class: 'card create', novalidate: true, 'aria-labelledby': 'import-h' },
    h('h2', { id: 'import-h' }, 'Import an image'), h('div', { class: 'banner-slot' }), source, urlField, fileField,
    h('div', { class: 'row' }, field('Name', name), field('Distribution', distribution, 'Optional: what it runs.')),
    h('div', { class: 'row' }, field('Region', region), field('Description', description, 'Optional, up to 1024 characters.')),
    progressBox, h('div', { class: 'actions' }, submit));

  const useFile = () => fromFile.checked;
  for (const radio of [fromUrl, fromFile]) radio.addEventListener('change', () => { urlField.hidden = useFile(); fileField.hidden = !useFile(); });
  file.addEventListener('change', () => {
    // The file's name is a good default for the image's.
    if (!name.value && file.files[0]) name.value = file.files[0].name.replace(/\.(qcow2|img|raw)$/i, '');
  });

  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const chosen = file.files[0];
    if (useFile() && !chosen) return showErrors(form, { fields: [{ field: 'file', message: 'choose the image file to upload' }] });
    const body = { name: name.value.trim() };
    if (!useFile()) body.url = url.value.trim();
    for (const [key, control] of [['distribution', distribution], ['description', description], ['region', region]])
      if (control.value.trim()) body[key] = control.value.trim();
    submit.disabled = true;
    let image = null;
    try {
      image = (await post('/images', body)).image;
      imported();
      if (useFile()) {
        progressBox.hidden = false;
        await upload(`/images/${image.id}/file`, chosen, (sent, total) => {
          progress.max = total || 1;
          progress.value = sent;
          progressText.textContent = ` ${mb(sent)} of ${mb(total)} MB sent`;
        });
        progressText.textContent = ' Sent: the server checks the file now.';
      }
      form.reset();
      urlField.hidden = false;
      fileField.hidden = true;
      showBanner(form.querySelector('.banner-slot'), `Image ${image.name} is being imported: its status below turns available when it is ready.`, 'info');
    } catch (error) {
      if (image) error.message = `The image ${image.name} was created but its file was not accepted: ${error.message}`;
      showErrors(form, error);
    } finally {
      submit.disabled = false;
      if (!progressBox.hidden && !image) progressBox.hidden = true;
    }
  });
  return form;
}
