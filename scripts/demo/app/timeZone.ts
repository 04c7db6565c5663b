// `@salesforce/i18n/timeZone` in the preview: the time zone of the user who is "logged in" (their
// TimeZoneSidKey in the local org), as Salesforce gives a user's setting.
import { previewContext } from './context';

const timeZone: string = previewContext().timeZone;
export default timeZone;
