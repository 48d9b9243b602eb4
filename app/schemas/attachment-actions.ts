// The staff forms about an opinion's attachments (field `intent` names which):
// attach scans (the files travel as multipart, read by the upload parser),
// publish one image beside the reply, or withdraw it.
import { z } from 'zod';

const attachmentId = z.preprocess(
  (v) => (typeof v === 'string' ? v : ''),
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, 'attachments:staff.pickAttachment')
    .transform(Number),
);

export const attachmentActionSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('attach') }),
  z.object({ intent: z.literal('publish'), attachmentId }),
  z.object({ intent: z.literal('unpublish'), attachmentId }),
]);

export type AttachmentAction = z.output<typeof attachmentActionSchema>;
