// `@salesforce/user/Id` in the preview: the user picked on the page ("logged in as").
import { previewContext } from './context';

const userId: string = previewContext().userId;
export default userId;
