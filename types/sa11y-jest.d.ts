// The accessibility matcher registered in scripts/jest/lwc-setup.js: expect(element).toBeAccessible().
import '@sa11y/jest';
