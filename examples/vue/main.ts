import 'rtm-chat/define';
import { createApp } from 'vue';
import { pageOptions } from '../shared/page-options.js';
import App from './App.vue';

createApp(App, { ...pageOptions(location.search) }).mount('#app');
